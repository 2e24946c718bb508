import { Migration0001Foundation } from './Migration0001Foundation.ts';

// Ordered: a migration is never edited once it has landed; add a new one instead.
export const migrationsList = [
  { name: 'Migration0001Foundation', class: Migration0001Foundation },
];
