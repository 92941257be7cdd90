/** The token cipher is shared by every provider (grants/token-cipher.ts). */
export * from '../grants/token-cipher';
