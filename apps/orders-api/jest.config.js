module.exports = { ...require('../../jest.preset.js'), displayName: 'orders-api', rootDir: __dirname };
