# Raati server image. Build: docker build -t raati .   Run: docker run -p 8000:8000 raati
FROM python:3.11-slim-bookworm

RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends libvoikko1 voikko-fi \
 && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY requirements.lock ./
RUN pip install --no-cache-dir -r requirements.lock
COPY . .
# Run from the source tree (templates, static files and catalogs live beside the code).
RUN useradd --system --home /app raati && mkdir -p /app/var && chown raati /app/var
USER raati

ENV RAATI_HOST=0.0.0.0 RAATI_PORT=8000 RAATI_VAR_DIR=/app/var PYTHONPATH=/app
VOLUME ["/app/var"]
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=3s CMD python -c "import urllib.request,sys; urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=2)" || exit 1
CMD ["python", "-m", "server.cli", "serve"]
