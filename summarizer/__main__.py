from summarizer.cli import app

app()
