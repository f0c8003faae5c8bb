package org.fgclip2.app.labels;

/**
 * One label of a calibration run.
 *
 * @param number the label's place in the label file, from 1
 * @param previousThreshold what the label file said before, null when it set none
 * @param plotFile the file name of its precision–recall plot in the report folder
 */
record CalibratedLabel(int number, String labelId, Float previousThreshold, ThresholdCalibration.Result result,
                       String plotFile) {
}
