// Imported first by the handler tests: a dummy region and credentials for the SDK clients (every client is
// mocked; nothing reaches AWS), and silent Powertools logs for the wrapped handlers.
process.env.AWS_REGION = 'us-west-2';
process.env.AWS_ACCESS_KEY_ID = 'test-access-key';
process.env.AWS_SECRET_ACCESS_KEY = 'test-secret-key';
process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
