"""One relay jar run as a separate process by the reliability scripts (faults.py, soak.py): its own directory, its
configuration written there, its log, and the starts, waits, kills and stops a script drives."""
import http.client
import os
import signal
import subprocess
import time


class Relay:
    def __init__(self, name, java, jvm_options, jar, workdir, port, config, env=None):
        """`config` is the YAML text; "@DIR@" in it becomes the relay's own directory."""
        self.name, self.port = name, port
        self.dir = os.path.join(workdir, name)
        os.makedirs(self.dir, exist_ok=True)
        self.config = os.path.join(self.dir, "relay.yaml")
        with open(self.config, "w") as f:
            f.write(config.replace("@DIR@", self.dir))
        self.command = [java, *jvm_options, "-jar", jar]
        self.env = dict(os.environ, RELAY_CONFIG=self.config, PLUGIN_PORT=str(port), ADMIN_PORT=str(port + 1000),
                        **(env or {}))
        self.log = open(os.path.join(self.dir, "relay.log"), "ab")
        self.process = None

    def start(self):
        self.process = subprocess.Popen(self.command, cwd=self.dir, env=self.env, stdout=self.log, stderr=self.log)

    def wait_ready(self, seconds=60):
        """Seconds until /v1/status answered 200; stops the script if the relay exits or never answers."""
        started = time.monotonic()
        while time.monotonic() - started < seconds:
            if self.process.poll() is not None:
                raise SystemExit(f"{self.name} exited with {self.process.returncode}; see {self.dir}/relay.log")
            try:
                connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=2)
                connection.request("GET", "/v1/status")
                if connection.getresponse().status == 200:
                    return time.monotonic() - started
            except OSError:
                pass
            time.sleep(0.05)
        raise SystemExit(f"{self.name} did not answer /v1/status in {seconds} s")

    def alive(self):
        return self.process is not None and self.process.poll() is None

    def exited_by_itself(self):
        """The exit code when the relay stopped without being killed here, else None."""
        return self.process.returncode if self.process is not None and self.process.poll() is not None else None

    def kill(self):
        self.process.send_signal(signal.SIGKILL)
        self.process.wait()

    def stop(self, grace_seconds=30):
        """SIGTERM, then SIGKILL if the relay has not exited within the grace."""
        if self.alive():
            self.process.terminate()
            try:
                self.process.wait(grace_seconds)
            except subprocess.TimeoutExpired:
                self.kill()

    def rss_mib(self):
        try:
            with open(f"/proc/{self.process.pid}/status") as f:
                for line in f:
                    if line.startswith("VmRSS:"):
                        return int(line.split()[1]) // 1024
        except OSError:
            return 0
        return 0
