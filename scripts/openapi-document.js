#!/usr/bin/env node
// Writes the API's OpenAPI document, as the built API serves it, to a file (default
// dist/openapi.json): the app is built in preview mode, so no database, Redis or port is needed.
// Run after `npm run build`: the document comes from dist/, where the @nestjs/swagger plugin
// has put the DTO and view metadata.
'use strict';
require('reflect-metadata');
const { mkdirSync, writeFileSync } = require('node:fs');
const { dirname, join, resolve } = require('node:path');

async function main() {
  const out = resolve(process.argv[2] ?? join(__dirname, '..', 'dist', 'openapi.json'));
  const { NestFactory } = require('@nestjs/core');
  const { AppModule } = require('../dist/src/app.module');
  const { API_PREFIX, buildOpenApiDocument } = require('../dist/src/bootstrap');
  const app = await NestFactory.create(AppModule, { preview: true, logger: false, bodyParser: false });
  app.setGlobalPrefix(API_PREFIX);
  const document = buildOpenApiDocument(app);
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, `${JSON.stringify(document, null, 2)}\n`);
  await app.close();
  console.log(`${out}: ${Object.keys(document.paths).length} paths`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
