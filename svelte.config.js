// Svelte compiler settings, read by the Vite plugin and by svelte-check.
// Runes mode everywhere: the web app's state is `$state`/`$derived` (HOUSE-RULES 17), and a
// component written in the legacy syntax should fail to compile rather than half-work.
export default {
  compilerOptions: {
    runes: true,
  },
};
