"""The reflectietool: sessions, answer sets and scores, their aggregation, the participant's steps,
the facilitator's pages, the admin and the demo sessions. Builds on actions ("maak actie").
"""
