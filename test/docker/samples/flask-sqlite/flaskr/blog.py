from flask import Blueprint, render_template

from .db import get_db

bp = Blueprint("blog", __name__)


@bp.route("/")
def index():
    posts = get_db().execute(
        "SELECT p.id, title, body, created, username FROM post p JOIN user u ON p.author_id = u.id ORDER BY created DESC"
    ).fetchall()
    return render_template("blog/index.html", posts=posts)
