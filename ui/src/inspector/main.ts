// The tax inspector's workstation (R-83…R-88): log in with login and password, read a
// register's reports over a period, export its journal. Fonts are bundled (no network
// at run time); Noto Sans covers every Kazakh letter (ә ғ қ ң ө ұ ү һ і).
import '@fontsource/noto-sans/cyrillic-ext-400.css';
import '@fontsource/noto-sans/cyrillic-ext-700.css';
import '@fontsource/noto-sans/cyrillic-400.css';
import '@fontsource/noto-sans/cyrillic-700.css';
import '@fontsource/noto-sans/latin-400.css';
import '@fontsource/noto-sans/latin-700.css';
import './inspector.css';
import { mount } from 'svelte';
import App from './App.svelte';

const target = document.getElementById('app');
if (target) mount(App, { target });
