# Production image: compiled TypeScript on Node 20, no dev dependencies. The LMS simulator (the npm workspace in
# simulator/, a devDependency) and the demo that runs it (src/demo) are not in the image: .dockerignore leaves
# simulator/ out of the build context, tsconfig.build.json leaves src/demo out of dist.
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
# The workspace folder is not in the context: npm links node_modules/@mentorlink/simulator to a missing folder,
# which nothing in the build reads. mongodb-memory-server (a devDependency, for the embedded development database)
# would download MongoDB's binaries when installed: nothing here runs them.
RUN MONGOMS_DISABLE_POSTINSTALL=1 npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build

# Production dependencies only: --omit=dev leaves out the simulator workspace along with jest, tsx and typescript.
FROM node:20-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund

FROM node:20-bookworm-slim
ENV NODE_ENV=production HOST=0.0.0.0 PORT=3000
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json ./
COPY views ./views
COPY static ./static
USER node
EXPOSE 3000
HEALTHCHECK --interval=15s --timeout=5s --start-period=20s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:3000/readyz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
CMD ["node", "dist/src/server.js"]
