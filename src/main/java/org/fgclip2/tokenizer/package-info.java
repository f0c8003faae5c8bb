/**
 * Captions to the fixed-length token ids the text tower reads ({@link org.fgclip2.tokenizer.CaptionTokenizer}),
 * with the special tokens the official pipeline adds ({@link org.fgclip2.tokenizer.SpecialTokens}).
 */
package org.fgclip2.tokenizer;
