export { createSingleFlight } from '../grants/single-flight';
