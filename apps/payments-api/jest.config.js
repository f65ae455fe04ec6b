module.exports = { ...require('../../jest.preset.js'), displayName: 'payments-api', rootDir: __dirname };
