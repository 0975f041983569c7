"""Submitting a page's form as a browser would: every field it carries (hidden ones included) with its value, plus
what the test types. Tests that post through a form this way keep working when the form gains a hidden field."""

from html.parser import HTMLParser


class _Forms(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms = []  # [(attrs, {name: value}, [(button name, value)])]
        self._form = None
        self._select = None
        self._textarea = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self._form = (attrs, {}, [])
            self.forms.append(self._form)
        if self._form is None:
            return
        fields = self._form[1]
        name = attrs.get("name")
        kind = attrs.get("type", "submit" if tag == "button" else "text")
        if tag in ("input", "button") and name and kind == "submit":
            self._form[2].append((name, attrs.get("value", "")))
        elif tag == "input" and name:
            if kind in ("checkbox", "radio"):
                if "checked" in attrs:
                    fields[name] = attrs.get("value", "on")
            elif kind not in ("submit", "button", "file", "image", "reset"):
                fields[name] = attrs.get("value", "")
        elif tag == "select" and name:
            self._select = name
            fields.setdefault(name, "")
        elif tag == "option" and self._select:
            if "selected" in attrs:
                fields[self._select] = attrs.get("value", "")
        elif tag == "textarea" and name:
            self._textarea = name
            fields[name] = ""

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea and self._form is not None:
            self._form[1][self._textarea] += data


def form_fields(html, having, press=None):
    """The fields (name -> value) of the first POST form in ``html`` that has a field named ``having``, with its
    submit button named ``press`` (default: its first named one) pressed, as a browser sends them."""
    parser = _Forms()
    parser.feed(html)
    for attrs, fields, buttons in parser.forms:
        if attrs.get("method", "get").lower() == "post" and having in fields:
            pressed = [(name, value) for name, value in buttons if press in (None, name)][:1]
            return {**fields, **dict(pressed)}
    raise AssertionError(f"no POST form with a field {having!r}")


def submit(client, url, having, **typed):
    """GET ``url``, fill the form that has the field ``having`` with ``typed``, POST it; returns the response."""
    page = client.get(url)
    assert page.status_code == 200, page.status_code
    data = {**form_fields(page.content.decode(), having), **typed}
    return client.post(url, data)
