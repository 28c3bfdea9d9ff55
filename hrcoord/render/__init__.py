"""Documents from Jinja2 templates: the environment (env), Markdown to HTML (markdown), dates
in the repository's language (dates), Word files (docx), calendar files (ics), charts (chart)."""
