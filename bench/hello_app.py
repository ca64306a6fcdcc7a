"""The baseline of bench.http_bench: a bare Flask app answering "hello", served the same way."""

from flask import Flask

app = Flask(__name__)


@app.get("/")
def hello():
    return "hello"
