// Settings every test process starts with (handlers read their config at import time).
process.env.TABLE_NAME ??= 'ActionCenterTest';
process.env.AWS_REGION ??= 'us-east-1';
process.env.POWERTOOLS_LOG_LEVEL ??= 'ERROR';
process.env.LOG_LEVEL ??= 'ERROR';
process.env.CURSOR_SECRET ??= 'test-cursor-secret-0123456789abcdef0123';
