import { describe, it, expect } from 'vitest';
import { decodeCsvBytes } from './decode-csv-bytes.js';

describe('decodeCsvBytes', () => {
  it('keeps valid UTF-8, with or without a BOM, and drops the BOM', () => {
    const utf8 = new TextEncoder().encode('Div,HomeTeam\nD1,Köln\n');
    expect(decodeCsvBytes(utf8)).toEqual({ text: 'Div,HomeTeam\nD1,Köln\n', encoding: 'utf-8' });
    expect(decodeCsvBytes(new Uint8Array([0xef, 0xbb, 0xbf, ...utf8]))).toEqual({
      text: 'Div,HomeTeam\nD1,Köln\n',
      encoding: 'utf-8',
    });
  });

  it('falls back to windows-1252, including the 0x80–0x9F range latin-1 gets wrong', () => {
    // "Nîmes" with a cp1252 î, then € (0x80), ’ (0x92) and Ÿ (0x9F).
    const bytes = new Uint8Array([0x4e, 0xee, 0x6d, 0x65, 0x73, 0x2c, 0x80, 0x92, 0x9f]);
    expect(decodeCsvBytes(bytes)).toEqual({ text: 'Nîmes,€’Ÿ', encoding: 'windows-1252' });
  });
});
