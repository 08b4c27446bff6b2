// The console's server answers /console/uplot.js with uPlot's ES module from npm (libs/admin-console/src/console-assets.ts):
// this gives the type check uPlot's own declarations for it.
import uPlot from 'uplot';
export default uPlot;
