package org.fgclip2.app.tools;

import java.util.List;
import org.fgclip2.app.cli.UserInputException;
import org.fgclip2.image.RgbImage;
import org.fgclip2.inference.RegionAlign;

/**
 * One {@code --region I:x1,y1,x2,y2} of {@code inspect}: a box in the pixels of the I-th image.
 *
 * @param corners {x1, y1, x2, y2}
 */
record RegionArgument(int image, double[] corners) {

    /** @param images the decoded images, in {@code --image} order, which the box must lie in */
    static RegionArgument parse(String argument, List<RgbImage> images) {
        String usage = "--region '" + argument + "': write I:x1,y1,x2,y2 (I = the image's 0-based position in --image"
                + " order, corners in its pixels), e.g. 0:10,20,110,90";
        int colon = argument.indexOf(':');
        String[] parts = colon < 0 ? new String[0] : argument.substring(colon + 1).split(",", -1);
        if (parts.length != 4) {
            throw new UserInputException(usage);
        }
        int image;
        double[] corners = new double[4];
        try {
            image = Integer.parseInt(argument.substring(0, colon).strip());
            for (int i = 0; i < 4; i++) {
                corners[i] = Double.parseDouble(parts[i].strip());
            }
        } catch (NumberFormatException e) {
            throw new UserInputException(usage);
        }
        if (image < 0 || image >= images.size()) {
            throw new UserInputException("--region '" + argument + "': image " + image + " does not exist; "
                    + images.size() + " --image given (positions 0 to " + (images.size() - 1) + ")");
        }
        RgbImage target = images.get(image);
        String problem = RegionAlign.problem(corners, target.width(), target.height());
        if (problem != null) {
            throw new UserInputException("--region '" + argument + "': " + problem);
        }
        return new RegionArgument(image, corners);
    }
}
