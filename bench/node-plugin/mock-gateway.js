// The plugin gateway endpoints the SDK calls to build a feed's instance context (cached by the SDK afterwards).
'use strict';
const http = require('http');

http
  .createServer((req, res) => {
    const feed = /^\/v1\/audience_segment_external_feeds\/([^/]+)(\/properties)?$/.exec(req.url.split('?')[0]);
    res.setHeader('Content-Type', 'application/json');
    if (!feed) {
      res.statusCode = 404;
      return res.end('{"status":"error"}');
    }
    if (feed[2]) {
      return res.end(JSON.stringify({ status: 'ok', count: 0, data: [] }));
    }
    res.end(JSON.stringify({ status: 'ok', data: { id: feed[1], plugin_id: '1', organisation_id: '1',
      group_id: 'bench', artifact_id: 'bench', version_id: '1' } }));
  })
  .listen(Number(process.env.GATEWAY_PORT || 8089), '127.0.0.1');
