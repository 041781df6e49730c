// `npm ci` runs this (package.json "postinstall"): the template data folder is made at install, so that the first
// `npm start` does not wait for initdb. It never fails the install: without a template, the first run makes one.
import { readyTemplate } from './template';

void readyTemplate().then((dir) => console.log(dir ? `Warehouse template ready in ${dir}` : 'No warehouse template: the first run makes one'));
