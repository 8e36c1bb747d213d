"""Presentation: the desk's data as people read it — local times, codes in words, the period
review and the record form as tables, Markdown, HTML and CSV. Used by the command line and the
screens alike; the services return data, never text for people.

* :mod:`kesu_desk.present.formats` — times in the desk's timezone, codes and departments in words
* :mod:`kesu_desk.present.markup` — user text made safe for Markdown and HTML, a whole HTML page
* :mod:`kesu_desk.present.report` — the period review as tables, and its Markdown/HTML/CSV
* :mod:`kesu_desk.present.record` — one case's record form and 8D report, as Markdown/HTML
"""
