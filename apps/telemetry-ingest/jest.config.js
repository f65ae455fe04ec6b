module.exports = { ...require('../../jest.preset.js'), displayName: 'telemetry-ingest', rootDir: __dirname };
