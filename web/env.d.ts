/**
 * Ambient types of the web app's build: Vite's client types (CSS imports, `import.meta.env`,
 * `new URL(…, import.meta.url)` assets). Svelte components are typed by the svelte package.
 */
/// <reference types="vite/client" />
