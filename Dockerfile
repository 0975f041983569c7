# Two images from one file (see docker-compose.yml):
#   app    the platform (web, worker, beat), the default for `docker build --target app .`;
#   proxy  nginx in front of it, with the collected static files baked in and the site's configuration.
FROM python:3.11-slim AS app
ENV PYTHONUNBUFFERED=1 UV_PROJECT_ENVIRONMENT=/opt/venv PATH="/opt/venv/bin:$PATH"
RUN pip install --no-cache-dir uv
WORKDIR /app
COPY pyproject.toml uv.lock ./
# The reference site runs from /app (the checkout); the apps are not installed as a package here.
RUN uv sync --frozen --no-dev --no-install-project
COPY . .
RUN SECRET_KEY=build-only-not-used-at-run-time WAGTAILADMIN_BASE_URL=http://localhost ALLOWED_HOSTS=localhost DJANGO_SETTINGS_MODULE=lobplatform.settings.production python manage.py collectstatic --no-input -v 0
EXPOSE 8000
CMD ["gunicorn", "lobplatform.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3"]

FROM nginx:1.27-alpine AS proxy
# The nginx image fills in ${NGINX_...} from the environment at start (envsubst of /etc/nginx/templates/).
COPY deploy/nginx/default.conf.template /etc/nginx/templates/default.conf.template
COPY --from=app /app/staticfiles /srv/static
EXPOSE 80
