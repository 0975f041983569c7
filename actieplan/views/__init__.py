"""Front-end views of the action plan, one module per capability; each module exports ``urlpatterns``."""
