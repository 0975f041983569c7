"""The bestuurders' Voortgang page: the page model, the report built from the actions' figures, its
charts, PDF and XLSX, and the demo page. Builds on meetings and everything below.
"""
