export { freePort, freeSubgraphPorts } from '../../scripts/isolated-platform';
