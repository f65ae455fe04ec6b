module.exports = { ...require('../../jest.preset.js'), displayName: 'cluster-model', rootDir: __dirname };
