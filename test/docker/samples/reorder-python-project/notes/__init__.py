"""A Flask notes service: GET /, GET /notes, POST /notes (form field text)."""
from flask import Flask, jsonify, request


def create_app():
    app = Flask(__name__)
    notes = []

    @app.get("/")
    def index():
        return jsonify(service="notes", version=1)

    @app.get("/notes")
    def list_notes():
        return jsonify(notes)

    @app.post("/notes")
    def add_note():
        note = {"id": len(notes) + 1, "text": request.get_data(as_text=True)}
        notes.append(note)
        return jsonify(note), 201

    return app
