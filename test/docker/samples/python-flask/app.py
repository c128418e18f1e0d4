"""A Flask app with a C extension: the Python sample the rewrite tests build three ways."""
import os

import fastsum
from flask import Flask, request

app = Flask(__name__)
notes = []


@app.get("/")
def index():
    return {"message": f"{os.environ.get('GREETING', 'hello')} from python", "triangle": fastsum.triangle(10)}


@app.get("/notes")
def list_notes():
    return {"notes": notes}


@app.post("/notes")
def add_note():
    text = (request.get_json(silent=True) or {}).get("text")
    if not text:
        return {"error": "text is required"}, 400
    notes.append(text)
    return {"id": len(notes), "text": text}, 201


if __name__ == "__main__":
    app.run(host="0.0.0.0", port=int(os.environ.get("PORT", "5000")))
