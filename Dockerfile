FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
# WeasyPrint needs pango and harfbuzz; DejaVu is the font family the PDFs use.
RUN apt-get update \
    && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 \
       libharfbuzz-subset0 fonts-dejavu-core curl gettext \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY requirements.lock pyproject.toml ./
RUN pip install --no-cache-dir -r requirements.lock
COPY . .
RUN pip install --no-cache-dir --no-deps -e . \
    && DEBUG=0 SECRET_KEY=collectstatic-only python manage.py collectstatic --noinput \
    && DEBUG=0 SECRET_KEY=build-only python manage.py compilemessages -v 0
RUN useradd --create-home kam && chown -R kam /app
USER kam
EXPOSE 8000
CMD ["gunicorn", "kam.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "2"]
