// Shapes of the API answers the pages read (../shared/API.md). Only what the site uses.

export interface FacetValue { value: string; count: number }

export interface SearchHit {
  id: string;
  title: string;
  authors: string[];
  publisher: string | null;
  year: number | null;
  isbn: string | null;
  mediaType: string;
  callNumber: string | null;
  accessionNumber: string | null;
  copies: number;
  availableCopies: number;
  availability: 'available' | 'unavailable' | 'no-copies';
}

export interface SearchResult {
  total: number;
  totalRelation?: 'eq' | 'gte';
  page: number;
  pageSize: number;
  items: SearchHit[];
  facets: {
    subject?: FacetValue[];
    mediaType?: FacetValue[];
    year?: FacetValue[];
    decade?: FacetValue[];
    tag?: FacetValue[];
    availability?: FacetValue[];
    access?: FacetValue[];
  };
}

export interface Item {
  id: string;
  callNumber: string;
  accessionNumber: string | null;
  loanCategory: string;
  location: string;
  floor: string | null;
  mediaType: string;
  status: string;
}

export interface Holding {
  id: string;
  originalName: string;
  mediaType: string;
  size: number;
  status: 'processing' | 'ready' | 'failed';
  access: string;
  embargoUntil: string | null;
  derivatives: { thumbnail: string | null; pageCount: number | null; durationSeconds: number | null; text: string | null };
  links: { content: string };
}

export interface RecordDetail {
  id: string;
  title: string;
  authors: string[];
  publisher: string | null;
  year: number | null;
  isbn: string | null;
  edition: string | null;
  version: string | null;
  subjects: string[];
  tags: string[];
  mediaType: string;
  language: string | null;
  description: string | null;
  createdAt: string;
  items: Item[];
  files: Holding[];
  buyLinks?: Array<{ name: string; url: string }>;
}

export interface Vocabulary { name: string; values: Array<{ value: string; label: string }> }
