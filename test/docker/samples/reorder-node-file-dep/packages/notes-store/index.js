// An in-memory note store with ids in insertion order.
class NotesStore {
  constructor() {
    this.notes = [];
  }
  add(text) {
    const note = { id: this.notes.length + 1, text };
    this.notes.push(note);
    return note;
  }
  list() {
    return this.notes;
  }
}
module.exports = { NotesStore };
