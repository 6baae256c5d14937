// Stands in for `dynalite` in Lambda bundles: on AWS the store is DynamoDB, never the embedded server.
module.exports = function dynalite() {
  throw new Error('the embedded store (dynalite) is not available on Lambda; set AWS_REGION or DYNAMODB_ENDPOINT');
};
