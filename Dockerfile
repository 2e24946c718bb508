# Production image for the API and the worker (same image, different command).
FROM node:24-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund
COPY . .
RUN node scripts/build-site.mjs
EXPOSE 8080
CMD ["node", "services/api/main.ts"]
