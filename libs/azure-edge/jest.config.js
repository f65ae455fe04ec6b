module.exports = { ...require('../../jest.preset.js'), displayName: 'azure-edge', rootDir: __dirname };
