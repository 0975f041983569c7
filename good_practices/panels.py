"""Edit-view panels of the library."""

from wagtail.admin.panels import FieldPanel


class ReadOnlyIfSetPanel(FieldPanel):
    """A read-only field that only shows when it holds something (an empty one read "None")."""

    def __init__(self, field_name, **kwargs):
        kwargs["read_only"] = True
        super().__init__(field_name, **kwargs)

    class BoundPanel(FieldPanel.BoundPanel):
        def is_shown(self):
            return super().is_shown() and getattr(self.instance, self.field_name, None) is not None
