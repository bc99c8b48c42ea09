//! A bare eframe window that repaints once a second: the floor `scripts/bench` measures
//! Renova's window against (same eframe version, same renderer feature, same build profile).
//! Writes the moment of its first frame to `$RENOVA_FIRST_FRAME_LOG` when set.

use std::time::Duration;

struct Bare {
    first_frame_log: Option<std::path::PathBuf>,
}

impl eframe::App for Bare {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        egui::CentralPanel::default().show(ui, |ui| {
            ui.label("bare eframe window");
        });
        ui.ctx().request_repaint_after(Duration::from_secs(1));
        if let Some(path) = self.first_frame_log.take() {
            let now = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_nanos())
                .unwrap_or_default();
            let _ = std::fs::write(path, format!("{now}\n"));
        }
    }
}

fn main() -> eframe::Result {
    let options = eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default().with_inner_size([760.0, 640.0]),
        ..eframe::NativeOptions::default()
    };
    eframe::run_native(
        "renova-bare-window",
        options,
        Box::new(|_| {
            Ok(Box::new(Bare {
                first_frame_log: std::env::var_os("RENOVA_FIRST_FRAME_LOG").map(Into::into),
            }))
        }),
    )
}
