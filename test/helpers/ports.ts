export { freePort } from '../../scripts/isolated-platform';
