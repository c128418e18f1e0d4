const { open, migrate } = require('./db');

const db = open();
migrate(db);
console.log('migrated');
db.close();
