"""Actions and their timeline: the model, every figure (counts), the list's filters and queries, forms,
the one write path (services), the roll-up of sub-actions, import/export, the calendar feed, the pages,
the admin and the demo plan. Builds on partnerships.
"""
