# One image for web, worker and beat (see docker-compose.yml).
FROM python:3.11-slim
ENV PYTHONUNBUFFERED=1 UV_PROJECT_ENVIRONMENT=/opt/venv PATH="/opt/venv/bin:$PATH"
RUN pip install --no-cache-dir uv
WORKDIR /app
COPY pyproject.toml uv.lock ./
# The reference site runs from /app (the checkout); the apps are not installed as a package here.
RUN uv sync --frozen --no-dev --no-install-project
COPY . .
RUN SECRET_KEY=build-only-not-used-at-run-time DJANGO_SETTINGS_MODULE=lobplatform.settings.production python manage.py collectstatic --no-input -v 0
EXPOSE 8000
CMD ["gunicorn", "lobplatform.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3"]
