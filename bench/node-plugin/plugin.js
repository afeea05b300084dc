// A minimal audience-feed plugin on the official mediarithmics Node SDK, written for the benchmark: it does the
// same accept work as the relay's answer path (take the update, append it to a local file, answer ok). Appends are
// not fsynced: the Node plugin is faster than a durable one would be, which favours it in the comparison.
'use strict';
const fs = require('fs');
const { core } = require('@mediarithmics/plugins-nodejs-sdk');

const out = fs.createWriteStream(process.env.BENCH_OUT || 'node-plugin-out.ndjson', { flags: 'a' });

class BenchFeed extends core.BatchedAudienceFeedConnectorBasePlugin {
  async onExternalSegmentCreation() {
    return { status: 'ok', visibility: 'PUBLIC' };
  }

  async onExternalSegmentConnection() {
    return { status: 'ok' };
  }

  async onUserSegmentUpdate(request) {
    await write(JSON.stringify({ feed_id: request.feed_id, segment_id: request.segment_id,
      operation: request.operation, user_identifiers: request.user_identifiers }) + '\n');
    return { status: 'ok' };
  }

  async onBatchUpdate(request) {
    let lines = '';
    for (const item of request.batch_content) {
      lines += (typeof item === 'string' ? item : JSON.stringify(item)) + '\n';
    }
    await write(lines);
    return { status: 'OK', sent_items_in_success: request.batch_content.length, sent_items_in_error: 0 };
  }
}

// Answers as soon as the text is handed to the stream, without waiting for its buffer to drain: the most favourable
// reading for the plugin (waiting for 'drain' made every request in flight wait for the file, and its p99 grew to
// hundreds of milliseconds).
function write(text) {
  out.write(text);
  return Promise.resolve();
}

const runner = new core.ProductionPluginRunner(new BenchFeed());
runner.start(Number(process.env.PLUGIN_PORT || 8081), process.env.BENCH_CLUSTER === 'true');
