"""The Flask tutorial's blog, trimmed: users register and log in, posts live in SQLite under instance/."""
import os

from flask import Flask


def create_app():
    app = Flask(__name__, instance_relative_config=True)
    app.config.from_mapping(
        SECRET_KEY=os.environ.get("SECRET_KEY", "dev"),
        DATABASE=os.path.join(app.instance_path, "flaskr.sqlite"),
    )
    os.makedirs(app.instance_path, exist_ok=True)

    from . import auth, blog, db

    db.init_app(app)
    app.register_blueprint(auth.bp)
    app.register_blueprint(blog.bp)
    app.add_url_rule("/", endpoint="index")
    return app
