"""Post an admin form back as a browser would: every field the page holds, as it holds it.

Tests that build POST data by hand send what the author thought of; a browser sends
what the form contains (the stored image left alone, inline management forms, every
checkbox as it is). Regressions such as "a second save of a record with an image is a
500" only show up this way.
"""

from html.parser import HTMLParser

SKIPPED_INPUTS = {"submit", "button", "reset", "image", "file"}


class _FormParser(HTMLParser):
    def __init__(self, form_id: str):
        super().__init__(convert_charrefs=True)
        self.form_id = form_id
        self.in_form = False
        self.fields: list[tuple[str, str]] = []
        self._select: dict | None = None
        self._option: dict | None = None
        self._textarea: dict | None = None

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "form" and attributes.get("id") == self.form_id:
            self.in_form = True
        if not self.in_form or "disabled" in attributes:
            return
        name = attributes.get("name")
        if tag == "input" and name:
            kind = attributes.get("type", "text").lower()
            if kind in SKIPPED_INPUTS:
                return
            if kind in {"checkbox", "radio"}:
                if "checked" in attributes:
                    self.fields.append((name, attributes.get("value", "on")))
                return
            self.fields.append((name, attributes.get("value", "")))
        elif tag == "select" and name:
            self._select = {"name": name, "options": [], "selected": []}
        elif tag == "option" and self._select is not None:
            self._option = {"value": attributes.get("value"), "text": ""}
            self._select["options"].append(self._option)
            if "selected" in attributes:
                self._select["selected"].append(self._option)
        elif tag == "textarea" and name:
            self._textarea = {"name": name, "text": ""}

    def handle_data(self, data):
        if self._option is not None:
            self._option["text"] += data
        if self._textarea is not None:
            self._textarea["text"] += data

    def handle_endtag(self, tag):
        if tag == "form" and self.in_form:
            self.in_form = False
        elif tag == "option":
            self._option = None
        elif tag == "select" and self._select is not None:
            chosen = self._select["selected"] or self._select["options"][:1]
            for option in chosen:
                value = option["value"] if option["value"] is not None else option["text"]
                self.fields.append((self._select["name"], value))
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            # Browsers drop the one newline that follows <textarea>.
            self.fields.append((self._textarea["name"], self._textarea["text"].removeprefix("\n")))
            self._textarea = None


def form_data(html: str, form_id: str) -> dict[str, list[str]]:
    parser = _FormParser(form_id)
    parser.feed(html)
    data: dict[str, list[str]] = {}
    for name, value in parser.fields:
        data.setdefault(name, []).append(value)
    return data


def post_back(client, url: str, changes: dict | None = None, *, form_id: str):
    """GET the form at `url`, apply `changes` (None removes a field), POST it back."""
    page = client.get(url)
    assert page.status_code == 200, page.status_code
    data = form_data(page.content.decode(), form_id)
    assert data, f"no form #{form_id} at {url}"
    for name, value in (changes or {}).items():
        if value is None:
            data.pop(name, None)
        else:
            data[name] = value if isinstance(value, list) else [value]
    data.setdefault("_save", ["Save"])
    return client.post(url, data)
