"""A Flask app with a C extension: the Python sample the rewrite tests build three ways."""
import os

import fastsum
from flask import Flask

app = Flask(__name__)


@app.get("/")
def index():
    return {"message": f"{os.environ.get('GREETING', 'hello')} from python", "triangle": fastsum.triangle(10)}


if __name__ == "__main__":
    app.run(host="0.0.0.0", port=int(os.environ.get("PORT", "5000")))
