INSERT INTO entries (name, message) VALUES ('admin', 'Welcome to the guestbook');
