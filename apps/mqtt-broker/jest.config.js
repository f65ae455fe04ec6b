module.exports = { ...require('../../jest.preset.js'), displayName: 'mqtt-broker', rootDir: __dirname };
