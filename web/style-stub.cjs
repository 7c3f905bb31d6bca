// Stands in for a stylesheet a component imports, in jest (jsdom) only.
module.exports = {};
