"""The live preview (`briefgen serve`): the brief re-rendered on every save.

preview.py keeps the rendered HTML, PDF pages and problems up to date over one
warm pipeline session; watch.py says which saves matter; app.py serves them to
the browser; server.py binds, watches and runs. Only server.py and app.py know
about the web.
"""
