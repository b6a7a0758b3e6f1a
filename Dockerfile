# The production image: one image for web, workers and beat (docker-compose.yml).
FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
WORKDIR /app
COPY pyproject.toml README.md ./
COPY factcheck factcheck
COPY analysis analysis
COPY claims claims
COPY workers workers
COPY seeds seeds
COPY manage.py ./
RUN pip install --no-cache-dir . && useradd --create-home factcheck
USER factcheck
EXPOSE 8000
CMD ["gunicorn", "factcheck.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3"]
